# Warning flags for the project's own targets (never for third-party code).
function(hotpath_set_warnings target)
  if(MSVC)
    target_compile_options(${target} PRIVATE /W4 $<$<BOOL:${HOTPATH_WERROR}>:/WX>)
  else()
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wshadow -Wconversion
      -Wno-sign-conversion $<$<BOOL:${HOTPATH_WERROR}>:-Werror>)
  endif()
endfunction()
