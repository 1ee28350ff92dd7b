#ifndef TYPHOON_OPTIONS_ERROR_HPP
#define TYPHOON_OPTIONS_ERROR_HPP

#include <typhoon/core/error.hpp>

namespace typhoon::options {

/** Raised for every mistake the options module finds (tornado.options.Error): an unknown option,
    a value that does not parse, a second definition, a bad config file. `what()` names the option
    and the offending value, and for config files the file and line, e.g.
    "Invalid value 'abc' for option 'port': expected an integer". */
class Error : public typhoon::Error {
public:
    using typhoon::Error::Error;
};

}  // namespace typhoon::options

#endif
