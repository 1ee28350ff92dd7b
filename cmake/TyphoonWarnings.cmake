# typhoon::warnings: the warning set every Typhoon target compiles with. Libraries link it as
# $<BUILD_INTERFACE:typhoon::warnings> so that it never reaches an installed consumer.
add_library(typhoon_warnings INTERFACE)
add_library(typhoon::warnings ALIAS typhoon_warnings)
target_compile_options(typhoon_warnings INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual
    -Wimplicit-fallthrough -Wcast-qual
    $<$<BOOL:${TYPHOON_WARNINGS_AS_ERRORS}>:-Werror>)
