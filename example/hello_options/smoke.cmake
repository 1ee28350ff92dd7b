# Run by CTest as `cmake -DPROGRAM=... -DARGS=... -DEXPECT_STATUS=... -DEXPECT_OUTPUT=... -P smoke.cmake`:
# runs the program and checks its exit status and that stdout+stderr match EXPECT_OUTPUT (a regex).
separate_arguments(args UNIX_COMMAND "${ARGS}")
execute_process(COMMAND "${PROGRAM}" ${args} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status STREQUAL EXPECT_STATUS)
    message(FATAL_ERROR "exit status ${status}, expected ${EXPECT_STATUS}\nstdout: ${out}\nstderr: ${err}")
endif()
if(NOT "${out}${err}" MATCHES "${EXPECT_OUTPUT}")
    message(FATAL_ERROR "output does not match '${EXPECT_OUTPUT}'\nstdout: ${out}\nstderr: ${err}")
endif()
