#ifndef TYPHOON_CORE_HPP
#define TYPHOON_CORE_HPP

// Everything typhoon::core offers: tornado.escape and tornado.log.
#include <typhoon/core/error.hpp>
#include <typhoon/core/escape.hpp>
#include <typhoon/core/json.hpp>
#include <typhoon/core/linkify.hpp>
#include <typhoon/core/log.hpp>
#include <typhoon/core/log_capture.hpp>
#include <typhoon/core/log_formatter.hpp>
#include <typhoon/core/utf8.hpp>

#endif
