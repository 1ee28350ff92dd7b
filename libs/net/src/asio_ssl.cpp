// Asio's TLS implementation, compiled once here: with BOOST_ASIO_SEPARATE_COMPILATION (set by
// typhoon::ioloop) the SSL parts are not in typhoon::ioloop's src/asio.cpp.
#include <boost/asio/ssl/impl/src.hpp>
