/*
 * hotpath/hotpath.h - umbrella header: includes every public hotpath header.
 * Link with `pkg-config --cflags --libs hotpath` or the CMake target
 * hotpath::hotpath.
 */
#ifndef HOTPATH_HOTPATH_H
#define HOTPATH_HOTPATH_H

#include "hotpath/common.h"
#include "hotpath/williams.h"
#include "hotpath/text.h"
#include "hotpath/consensus.h"
#include "hotpath/files.h"
#include "hotpath/compress.h"
#include "hotpath/memory.h"
#include "hotpath/search.h"

#endif /* HOTPATH_HOTPATH_H */
