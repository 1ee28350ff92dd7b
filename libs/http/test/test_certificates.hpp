#ifndef TYPHOON_HTTP_TEST_TEST_CERTIFICATES_HPP
#define TYPHOON_HTTP_TEST_TEST_CERTIFICATES_HPP

// A certificate authority made at run time, and certificates it signs: the HTTPS client tests
// need a trusted chain, a wrong host, an expired certificate and a client certificate, with no
// files in the tree and nothing from the network. (An extension of libs/net/test/self_signed.hpp.)

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <stdexcept>
#include <string>

namespace http_test {

struct IssuedCertificate {
    std::string certificate_pem;
    std::string private_key_pem;
};

struct IssueOptions {
    /// Valid from two days ago until yesterday.
    bool expired = false;
};

class TestAuthority {
public:
    TestAuthority() : key_(make_key()), certificate_(X509_new(), X509_free) {
        build(certificate_.get(), "Typhoon Test CA", key_.get(), nullptr, key_.get(), false, true);
    }

    std::string certificate_pem() const {
        return to_pem([&](BIO* bio) { PEM_write_bio_X509(bio, certificate_.get()); });
    }

    /// A certificate for `host` (a DNS name or an IP address), signed by this authority.
    IssuedCertificate issue(const std::string& host, IssueOptions options = {}) const {
        auto key = make_key();
        std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
        build(cert.get(), host, key.get(), certificate_.get(), key_.get(), options.expired, false);
        return {to_pem([&](BIO* bio) { PEM_write_bio_X509(bio, cert.get()); }),
                to_pem([&](BIO* bio) {
                    PEM_write_bio_PrivateKey(bio, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
                })};
    }

private:
    using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

    static Key make_key() {
        char curve[] = "P-256";
        Key key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve), EVP_PKEY_free);
        if (!key) throw std::runtime_error("OpenSSL could not make a key");
        return key;
    }

    static void add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
        X509V3_CTX context;
        X509V3_set_ctx_nodb(&context);
        X509V3_set_ctx(&context, issuer ? issuer : cert, cert, nullptr, nullptr, 0);
        X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str());
        X509_add_ext(cert, extension, -1);
        X509_EXTENSION_free(extension);
    }

    static void build(X509* cert, const std::string& name, EVP_PKEY* key, X509* issuer,
                      EVP_PKEY* issuer_key, bool expired, bool is_ca) {
        static long serial = 1;
        X509_set_version(cert, 2);
        ASN1_INTEGER_set(X509_get_serialNumber(cert), ++serial);
        X509_gmtime_adj(X509_getm_notBefore(cert), expired ? -2 * 24 * 3600 : -60);
        X509_gmtime_adj(X509_getm_notAfter(cert), expired ? -24 * 3600 : 24 * 3600);
        X509_set_pubkey(cert, key);
        X509_NAME* subject = X509_get_subject_name(cert);
        X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>(name.c_str()), -1, -1, 0);
        X509_set_issuer_name(cert, issuer ? X509_get_subject_name(issuer) : subject);
        if (is_ca) {
            add_extension(cert, issuer, NID_basic_constraints, "critical,CA:TRUE");
            add_extension(cert, issuer, NID_key_usage, "critical,keyCertSign,cRLSign");
        } else {
            const bool ip = name.find_first_not_of("0123456789.") == std::string::npos ||
                            name.find(':') != std::string::npos;
            add_extension(cert, issuer, NID_subject_alt_name, (ip ? "IP:" : "DNS:") + name);
        }
        if (X509_sign(cert, issuer_key, EVP_sha256()) == 0)
            throw std::runtime_error("OpenSSL could not sign");
    }

    template <class Write>
    static std::string to_pem(Write write) {
        std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
        write(bio.get());
        char* data = nullptr;
        const long size = BIO_get_mem_data(bio.get(), &data);
        return std::string(data, static_cast<std::size_t>(size));
    }

    Key key_;
    std::unique_ptr<X509, decltype(&X509_free)> certificate_;
};

}  // namespace http_test

#endif
