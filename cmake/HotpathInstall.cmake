# Install rules: library, headers, CMake package (find_package(hotpath) ->
# hotpath::hotpath) and pkg-config file.
include(CMakePackageConfigHelpers)

set(HOTPATH_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/hotpath)

install(TARGETS ${HOTPATH_TARGETS}
  EXPORT hotpathTargets
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/hotpath DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h")
install(EXPORT hotpathTargets NAMESPACE hotpath:: DESTINATION ${HOTPATH_CMAKE_DIR})

configure_package_config_file(cmake/hotpathConfig.cmake.in
  ${PROJECT_BINARY_DIR}/hotpathConfig.cmake
  INSTALL_DESTINATION ${HOTPATH_CMAKE_DIR})
# SameMajorVersion: 0.x releases promise nothing across minors in semver, but
# the ABI major (SOVERSION) is what the library guarantees; keep both aligned.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/hotpathConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/hotpathConfig.cmake
              ${PROJECT_BINARY_DIR}/hotpathConfigVersion.cmake
  DESTINATION ${HOTPATH_CMAKE_DIR})

# pkg-config: relocatable.  With relative install dirs, prefix is found from
# the .pc file's own folder (${pcfiledir}), so `cmake --install --prefix X`
# and a moved tree stay correct; absolute dirs are kept verbatim.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(HOTPATH_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  set(HOTPATH_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
else()
  file(RELATIVE_PATH _hotpath_up "/root/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/root")
  string(REGEX REPLACE "/$" "" _hotpath_up "${_hotpath_up}")
  set(HOTPATH_PC_PREFIX "\${pcfiledir}/${_hotpath_up}")
  set(HOTPATH_PC_LIBDIR "\${exec_prefix}/${CMAKE_INSTALL_LIBDIR}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(HOTPATH_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(HOTPATH_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
configure_file(cmake/hotpath.pc.in ${PROJECT_BINARY_DIR}/hotpath.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/hotpath.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
