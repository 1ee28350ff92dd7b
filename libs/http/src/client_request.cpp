#include <typhoon/http/client_request.hpp>

#include <typhoon/core/error.hpp>
#include <typhoon/http/http_client_error.hpp>
#include <typhoon/net/ssl_options.hpp>

#include <boost/asio/ssl/context.hpp>

namespace typhoon::httpclient {

std::shared_ptr<boost::asio::ssl::context> ssl_context_for(const HTTPRequest& request) {
    try {
        return netutil::ssl_options_to_context({.certfile = request.client_cert,
                                                .keyfile = request.client_key,
                                                .ca_certs = request.ca_certs,
                                                .verify_peer = request.validate_cert},
                                               false);
    } catch (const Error& e) {
        throw HTTPClientError(
            599, std::string("Could not load the TLS files of the request: ") + e.what());
    }
}

}  // namespace typhoon::httpclient
