#ifndef TYPHOON_HTTP_TIMESTAMP_HPP
#define TYPHOON_HTTP_TIMESTAMP_HPP

#include <chrono>
#include <string>

namespace typhoon::httputil {

/// An HTTP date (RFC 7231 §7.1.1.1) as tornado.httputil.format_timestamp writes it:
/// "Sun, 27 Jan 2013 18:43:20 GMT". Fractions of a second are dropped.
std::string format_timestamp(std::chrono::system_clock::time_point time);

}  // namespace typhoon::httputil

#endif
