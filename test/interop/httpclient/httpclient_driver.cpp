// Reads one fetch per line ({"url", "method", "body", "follow_redirects", "max_redirects",
// "decompress_response", "auth_username", "auth_password"}) and answers each with one line:
// {"code", "reason", "body", "effective_url", "headers"} or {"error": code}.
// httpclient_interop.py drives it against a Tornado server and compares with Tornado's client.
#include <typhoon/core/json.hpp>
#include <typhoon/http/http_client.hpp>

#include <boost/json.hpp>

#include <iostream>
#include <string>

namespace bj = boost::json;
using namespace typhoon::httpclient;

int main() {
    HTTPClient client;
    std::string line;
    while (std::getline(std::cin, line)) {
        const bj::object spec = typhoon::escape::json_decode(line).as_object();
        HTTPRequest request{.url = std::string(spec.at("url").as_string()),
                            .method = std::string(spec.at("method").as_string())};
        if (const auto* body = spec.if_contains("body"); body && body->is_string())
            request.body = std::string(body->as_string());
        if (const auto* user = spec.if_contains("auth_username")) {
            request.auth_username = std::string(user->as_string());
            request.auth_password = std::string(spec.at("auth_password").as_string());
        }
        request.follow_redirects = spec.at("follow_redirects").as_bool();
        request.max_redirects = static_cast<int>(spec.at("max_redirects").as_int64());
        request.decompress_response = spec.at("decompress_response").as_bool();
        request.raise_error = false;
        bj::object out;
        try {
            const HTTPResponse response = client.fetch(std::move(request));
            out["code"] = response.code;
            out["reason"] = response.reason;
            out["body"] = response.body;
            out["effective_url"] = response.effective_url;
            bj::object headers;
            for (const char* name : {"Content-Type", "Content-Encoding",
                                     "X-Consumed-Content-Encoding", "Location", "X-Method"})
                if (const auto value = response.headers.get(name)) headers[name] = *value;
            out["headers"] = std::move(headers);
        } catch (const HTTPClientError& e) {
            out["error"] = e.code();
        }
        std::cout << typhoon::escape::json_encode(out) << std::endl;
    }
}
