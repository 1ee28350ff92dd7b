// Boost.Asio compiled once for every Typhoon library (BOOST_ASIO_SEPARATE_COMPILATION is a PUBLIC
// definition of typhoon::ioloop, so the layers above link these definitions instead of inlining).
#include <boost/asio/impl/src.hpp>
