#include <typhoon/net/ssl_options.hpp>

#include "self_signed.hpp"

#include <typhoon/core/error.hpp>

#include <boost/asio/ssl/context.hpp>
#include <boost/test/unit_test.hpp>

#include <openssl/ssl.h>

#include <filesystem>
#include <fstream>

using namespace typhoon;

namespace {

std::string message_of(const netutil::SSLOptions& options, bool server_side) {
    try {
        netutil::ssl_options_to_context(options, server_side);
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

int verify_mode(const netutil::SSLOptions& options, bool server_side) {
    return SSL_CTX_get_verify_mode(
        netutil::ssl_options_to_context(options, server_side)->native_handle());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ssl_options_test)

BOOST_AUTO_TEST_CASE(a_client_verifies_its_server_by_default_and_a_server_asks_nothing) {
    BOOST_TEST(verify_mode({}, false) == SSL_VERIFY_PEER);
    BOOST_TEST(verify_mode({.verify_peer = false}, false) == SSL_VERIFY_NONE);
    const auto certificate = net_test::make_self_signed();
    const netutil::SSLOptions server{.certificate_pem = certificate.certificate_pem,
                                     .private_key_pem = certificate.private_key_pem};
    BOOST_TEST(verify_mode(server, true) == SSL_VERIFY_NONE);
    auto requiring = server;
    requiring.verify_peer = true;
    BOOST_TEST(verify_mode(requiring, true) == (SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT));
}

BOOST_AUTO_TEST_CASE(old_protocol_versions_are_refused) {
    const auto context = netutil::ssl_options_to_context({}, false);
    BOOST_TEST(SSL_CTX_get_min_proto_version(context->native_handle()) == TLS1_2_VERSION);
}

BOOST_AUTO_TEST_CASE(a_failure_names_the_option_and_the_file) {
    const auto missing = (std::filesystem::temp_directory_path() / "typhoon-no-such.pem").string();
    BOOST_TEST(
        message_of({.certfile = missing}, true).rfind("ssl_options: certfile '" + missing, 0) ==
        0u);
    BOOST_TEST(
        message_of({.ca_certs = missing}, false).rfind("ssl_options: ca_certs '" + missing, 0) ==
        0u);
    const auto certificate = net_test::make_self_signed();
    const auto path = (std::filesystem::temp_directory_path() / "typhoon-cert-only.pem").string();
    std::ofstream(path) << certificate.certificate_pem;
    BOOST_TEST(message_of({.certfile = path}, true).rfind("ssl_options: certfile '" + path, 0) ==
               0u);  // no key in it
    std::ofstream(path, std::ios::app) << certificate.private_key_pem;
    BOOST_TEST(message_of({.certfile = path}, true) == "");
    std::filesystem::remove(path);
    BOOST_TEST(message_of({}, true) == "ssl_options: a server needs certfile or certificate_pem");
    BOOST_TEST(message_of({.ciphers = "NO-SUCH-CIPHER"}, false) ==
               "ssl_options: ciphers 'NO-SUCH-CIPHER': no cipher matches");
}

BOOST_AUTO_TEST_SUITE_END()
