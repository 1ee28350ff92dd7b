#include <typhoon/net/ssl_options.hpp>

#include <typhoon/core/error.hpp>
#include <typhoon/net/netutil.hpp>

#include <boost/asio/buffer.hpp>
#include <boost/asio/ssl/context.hpp>

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

namespace typhoon::netutil {

namespace ssl = boost::asio::ssl;

namespace {

/// Runs one step of loading; a failure names the option and what it held.
template <class Step>
void load(std::string_view option, std::string_view value, Step step) {
    try {
        step();
    } catch (const boost::system::system_error& e) {
        throw Error("ssl_options: " + std::string(option) + " '" + std::string(value) +
                    "': " + e.code().message());
    }
}

}  // namespace

std::shared_ptr<ssl::context> ssl_options_to_context(const SSLOptions& options, bool server_side) {
    auto context = std::make_shared<ssl::context>(server_side ? ssl::context::tls_server
                                                              : ssl::context::tls_client);
    context->set_options(ssl::context::default_workarounds | ssl::context::no_compression |
                         ssl::context::no_sslv2 | ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                         ssl::context::no_tlsv1_1);
    SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);

    if (!options.certfile.empty()) {
        load("certfile", options.certfile,
             [&] { context->use_certificate_chain_file(options.certfile); });
        const std::string& key = options.keyfile.empty() ? options.certfile : options.keyfile;
        load(options.keyfile.empty() ? "certfile" : "keyfile", key,
             [&] { context->use_private_key_file(key, ssl::context::pem); });
    }
    if (!options.certificate_pem.empty()) {
        load("certificate_pem", "...",
             [&] { context->use_certificate_chain(boost::asio::buffer(options.certificate_pem)); });
        const std::string& key =
            options.private_key_pem.empty() ? options.certificate_pem : options.private_key_pem;
        load("private_key_pem", "...",
             [&] { context->use_private_key(boost::asio::buffer(key), ssl::context::pem); });
    }
    if (server_side && options.certfile.empty() && options.certificate_pem.empty())
        throw Error("ssl_options: a server needs certfile or certificate_pem");
    if (!options.ciphers.empty() &&
        SSL_CTX_set_cipher_list(context->native_handle(), options.ciphers.c_str()) != 1)
        throw Error("ssl_options: ciphers '" + options.ciphers + "': no cipher matches");

    const bool verify = options.verify_peer.value_or(!server_side);
    if (verify || !options.ca_certs.empty()) {
        if (options.ca_certs.empty())
            context->set_default_verify_paths();
        else
            load("ca_certs", options.ca_certs,
                 [&] { context->load_verify_file(options.ca_certs); });
    }
    if (verify)
        context->set_verify_mode(server_side ? ssl::verify_peer | ssl::verify_fail_if_no_peer_cert
                                             : ssl::verify_peer);
    else
        context->set_verify_mode(ssl::verify_none);
    return context;
}

void set_client_hostname(SSL* ssl, std::string_view host) {
    const std::string name(host);
    if (!is_valid_ip(name)) SSL_set_tlsext_host_name(ssl, name.c_str());
    if (SSL_get_verify_mode(ssl) & SSL_VERIFY_PEER) {
        // An IP literal is checked against the certificate's IP entries, a name against its DNS
        // ones: SSL_set1_host does both.
        SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        SSL_set1_host(ssl, name.c_str());
    }
}

}  // namespace typhoon::netutil
