// Boost.Beast's implementation, compiled once here (BOOST_BEAST_SEPARATE_COMPILATION is a public
// definition of typhoon::http, so every consumer only sees declarations).
#include <boost/beast/src.hpp>
