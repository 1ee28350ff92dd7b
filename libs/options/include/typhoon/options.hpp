#ifndef TYPHOON_OPTIONS_HPP
#define TYPHOON_OPTIONS_HPP

// Everything `import tornado.options` gives.
#include <typhoon/options/error.hpp>
#include <typhoon/options/log_options.hpp>
#include <typhoon/options/option_override.hpp>
#include <typhoon/options/option_parser.hpp>
#include <typhoon/options/option_value.hpp>

#endif
