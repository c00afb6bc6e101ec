// Counts heap allocations made anywhere in the process (library included)
// while counting is on.  alloc_counter.cpp interposes malloc and friends;
// operator new reaches them through the C++ runtime.
#pragma once

#include <cstddef>

namespace alloc_counter {
void start();
// Stops counting and returns the number of allocations since start().
size_t stop();
}  // namespace alloc_counter
