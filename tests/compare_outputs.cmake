# Runs two programs and fails unless they print the same text.
#   cmake -DA=prog1 -DB=prog2 -P compare_outputs.cmake
execute_process(COMMAND ${A} OUTPUT_VARIABLE out_a RESULT_VARIABLE rc_a)
execute_process(COMMAND ${B} OUTPUT_VARIABLE out_b RESULT_VARIABLE rc_b)
if(NOT rc_a EQUAL 0 OR NOT rc_b EQUAL 0)
  message(FATAL_ERROR "a program failed: ${A} -> ${rc_a}, ${B} -> ${rc_b}")
endif()
if(NOT out_a STREQUAL out_b)
  message(FATAL_ERROR "outputs differ:\n${A}:\n${out_a}\n${B}:\n${out_b}")
endif()
message(STATUS "identical output:\n${out_a}")
