#ifndef TYPHOON_WEB_HPP
#define TYPHOON_WEB_HPP

// What `import tornado.web` gives: Application, RequestHandler, URL specs, errors, UI modules and
// the built-in handlers.
#include <typhoon/web/application.hpp>
#include <typhoon/web/authenticated.hpp>
#include <typhoon/web/builtin_handlers.hpp>
#include <typhoon/web/cookies.hpp>
#include <typhoon/web/http_error.hpp>
#include <typhoon/web/local_redirect.hpp>
#include <typhoon/web/request_handler.hpp>
#include <typhoon/web/settings.hpp>
#include <typhoon/web/signed_value.hpp>
#include <typhoon/web/static_file_handler.hpp>
#include <typhoon/web/ui_module.hpp>
#include <typhoon/web/url_spec.hpp>

#endif
