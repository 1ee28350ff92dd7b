#ifndef TYPHOON_HTTP_HPP
#define TYPHOON_HTTP_HPP

// What `import tornado.httputil, tornado.httpclient` gives. The HTTP/1.1 server,
// tornado.httpserver, is <typhoon/http/http_server.hpp>.
#include <typhoon/http/arguments.hpp>
#include <typhoon/http/client_request.hpp>
#include <typhoon/http/client_response.hpp>
#include <typhoon/http/cookies.hpp>
#include <typhoon/http/headers.hpp>
#include <typhoon/http/http_client.hpp>
#include <typhoon/http/http_client_error.hpp>
#include <typhoon/http/http_input_error.hpp>
#include <typhoon/http/responses.hpp>
#include <typhoon/http/server_request.hpp>
#include <typhoon/http/start_line.hpp>
#include <typhoon/http/timestamp.hpp>
#include <typhoon/http/url.hpp>

#endif
