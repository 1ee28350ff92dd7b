#include <typhoon/auth/auth_mixin.hpp>

#include <typhoon/auth/auth_error.hpp>
#include <typhoon/core/json.hpp>
#include <typhoon/http/http_client.hpp>
#include <typhoon/web/request_handler.hpp>

#include "params.hpp"

#include <exception>
#include <typeinfo>

namespace typhoon::auth {

AuthMixin::~AuthMixin() = default;

httpclient::AsyncHTTPClient& AuthMixin::get_auth_http_client() {
    return httpclient::AsyncHTTPClient::current();
}

web::RequestHandler& AuthMixin::handler() {
    auto* handler = dynamic_cast<web::RequestHandler*>(this);
    if (handler == nullptr)
        throw Error(std::string("an auth mixin must be a base of a web::RequestHandler, and ") +
                    typeid(*this).name() + " is not one");
    return *handler;
}

awaitable<httpclient::HTTPResponse> AuthMixin::auth_fetch(std::string url,
                                                          httpclient::HTTPRequest request,
                                                          httpclient::AsyncHTTPClient* client) {
    request.request_timeout = auth_request_timeout;
    request.connect_timeout = auth_request_timeout;
    if (client == nullptr) client = &get_auth_http_client();
    const std::string where = request.method + " " + detail::without_query(url);
    std::string failure;
    try {
        co_return co_await client->fetch(std::move(url), std::move(request));
    } catch (const httpclient::HTTPClientError& error) {
        failure = "Error response from " + where + ": " + error.what();
        if (const auto& response = error.response(); response && !response->body.empty())
            failure += " (" + response->body.substr(0, 200) + ")";
    }
    throw AuthError(failure);
}

awaitable<boost::json::value> AuthMixin::fetch_json(std::string url,
                                                    const std::optional<Params>& post_args) {
    httpclient::HTTPRequest request;
    if (post_args) {
        request.method = "POST";
        request.body = detail::urlencode(*post_args);
    }
    const auto response = co_await auth_fetch(std::move(url), std::move(request));
    co_return decode_json(response);
}

boost::json::value AuthMixin::decode_json(const httpclient::HTTPResponse& response) {
    try {
        return escape::json_decode(response.body);
    } catch (const escape::JSONDecodeError& error) {
        throw AuthError("Invalid JSON from " + response.request.method + " " +
                        detail::without_query(response.effective_url) + ": " + error.what());
    }
}

}  // namespace typhoon::auth
