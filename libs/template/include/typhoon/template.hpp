#ifndef TYPHOON_TEMPLATE_HPP
#define TYPHOON_TEMPLATE_HPP

// Everything typhoon::template offers: tornado.template.
#include <typhoon/template/errors.hpp>
#include <typhoon/template/loader.hpp>
#include <typhoon/template/namespace.hpp>
#include <typhoon/template/template.hpp>

#endif
