# typhoon_add_subdirectories(): add every child folder that has a CMakeLists.txt, in name order.
# example/, bench/, apps/ and test/interop/ grow a folder per program; nobody edits a shared list.
function(typhoon_add_subdirectories)
    file(GLOB children LIST_DIRECTORIES true RELATIVE "${CMAKE_CURRENT_SOURCE_DIR}" "${CMAKE_CURRENT_SOURCE_DIR}/*")
    list(SORT children)
    foreach(child IN LISTS children)
        if(EXISTS "${CMAKE_CURRENT_SOURCE_DIR}/${child}/CMakeLists.txt")
            add_subdirectory(${child})
        endif()
    endforeach()
endfunction()
