// Boost.JSON's implementation, compiled once here for every Typhoon library (Debian's Boost 1.81
// has no libboost_json). Everything else includes only its declarations.
#include <boost/json/src.hpp>
