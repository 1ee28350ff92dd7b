# Run by CTest as `cmake -P`: install the build tree, then configure, build and run a consumer.
file(REMOVE_RECURSE "${WORK_DIR}")
set(prefix "${WORK_DIR}/prefix")

function(run)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT status EQUAL 0)
        message(FATAL_ERROR "failed (${status}): ${ARGN}\n${out}\n${err}")
    endif()
    set(last_output "${out}" PARENT_SCOPE)
endfunction()

run(${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${prefix}")

set(configure_args -G "${GENERATOR}" -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
    "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${LINKER_FLAGS}"
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=Debug)

# Core alone, the HTTP stack, the web framework, Redis (which also checks for libhiredis): each
# pulls in only the layers below it.
foreach(variant "core|ioloop,net,http,template,locale,options,web" "http|template,locale,options,web"
                "web|options" "redis|net,http,database,web")
    string(REPLACE "|" ";" parts "${variant}")
    list(GET parts 0 components)
    list(GET parts 1 absent)
    run(${CMAKE_COMMAND} -S "${CONSUMER_SOURCE_DIR}" -B "${WORK_DIR}/consumer-${components}" ${configure_args}
        -DCONSUMER_COMPONENTS=${components} -DCONSUMER_ABSENT=${absent})
    run(${CMAKE_COMMAND} --build "${WORK_DIR}/consumer-${components}")
    run("${WORK_DIR}/consumer-${components}/consumer")
    if(NOT last_output MATCHES "&lt;typhoon&gt; \\{\"ok\": true\\}")
        message(FATAL_ERROR "consumer (${components}) printed an unexpected line: ${last_output}")
    endif()
endforeach()

# Asking for a component that does not exist must fail at configure time, naming it.
execute_process(
    COMMAND ${CMAKE_COMMAND} -S "${CONSUMER_SOURCE_DIR}" -B "${WORK_DIR}/missing" ${configure_args}
        -DCONSUMER_COMPONENTS=core,no_such_component
    RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(status EQUAL 0 OR NOT "${out}${err}" MATCHES "no_such_component")
    message(FATAL_ERROR "an unknown component was not reported:\n${out}\n${err}")
endif()
message(STATUS "consumer built and ran against ${prefix}")
