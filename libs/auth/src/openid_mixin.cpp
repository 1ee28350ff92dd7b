#include <typhoon/auth/openid_mixin.hpp>

#include <typhoon/auth/auth_error.hpp>
#include <typhoon/http/http_client.hpp>
#include <typhoon/web/request_handler.hpp>

#include "params.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <string_view>

namespace typhoon::auth {

namespace {

constexpr std::string_view ax_namespace = "http://openid.net/srv/ax/1.0";

}  // namespace

void OpenIdMixin::authenticate_redirect(OpenIdRedirectOptions options) {
    auto& h = handler();
    const auto callback_uri = options.callback_uri.value_or(h.request().uri);
    h.redirect(openid_endpoint + "?" +
               detail::urlencode(openid_args(callback_uri, options.ax_attrs)));
}

Params OpenIdMixin::openid_args(const std::string& callback_uri,
                                const std::vector<std::string>& ax_attrs,
                                const std::optional<std::string>& oauth_scope) {
    auto& h = handler();
    const auto url = detail::urljoin(h.request().full_url(), callback_uri);
    Params args = {
        {"openid.ns", "http://specs.openid.net/auth/2.0"},
        {"openid.claimed_id", "http://specs.openid.net/auth/2.0/identifier_select"},
        {"openid.identity", "http://specs.openid.net/auth/2.0/identifier_select"},
        {"openid.return_to", url},
        {"openid.realm", detail::urljoin(url, "/")},
        {"openid.mode", "checkid_setup"},
    };
    if (!ax_attrs.empty()) {
        args.emplace_back("openid.ns.ax", std::string(ax_namespace));
        args.emplace_back("openid.ax.mode", "fetch_request");
        std::vector<std::string> attrs;
        for (const auto& attr : ax_attrs)
            if (std::find(attrs.begin(), attrs.end(), attr) == attrs.end()) attrs.push_back(attr);
        std::vector<std::string> required;
        // "name" stands for the three name attributes, as in Tornado.
        if (std::find(attrs.begin(), attrs.end(), "name") != attrs.end()) {
            std::erase_if(attrs, [](const std::string& attr) {
                return attr == "name" || attr == "firstname" || attr == "fullname" ||
                       attr == "lastname";
            });
            required = {"firstname", "fullname", "lastname"};
            args.emplace_back("openid.ax.type.firstname", "http://axschema.org/namePerson/first");
            args.emplace_back("openid.ax.type.fullname", "http://axschema.org/namePerson");
            args.emplace_back("openid.ax.type.lastname", "http://axschema.org/namePerson/last");
        }
        for (const auto& attr : attrs) {
            std::string type;
            if (attr == "email")
                type = "http://axschema.org/contact/email";
            else if (attr == "language")
                type = "http://axschema.org/pref/language";
            else if (attr == "username")
                type = "http://axschema.org/namePerson/friendly";
            else
                throw Error("unknown OpenID attribute '" + attr +
                            "' (known: name, email, language, username)");
            args.emplace_back("openid.ax.type." + attr, std::move(type));
            required.push_back(attr);
        }
        std::string joined;
        for (const auto& name : required)
            joined += (joined.empty() ? "" : ",") + name;
        args.emplace_back("openid.ax.required", joined);
    }
    if (oauth_scope) {
        args.emplace_back("openid.ns.oauth", "http://specs.openid.net/extensions/oauth/1.0");
        args.emplace_back("openid.oauth.consumer", h.request().host_name);
        args.emplace_back("openid.oauth.scope", *oauth_scope);
    }
    return args;
}

awaitable<boost::json::object> OpenIdMixin::get_authenticated_user(
    httpclient::AsyncHTTPClient* http_client) {
    auto& h = handler();
    // Everything the provider sent back, each name's last value, is echoed for verification.
    Params args;
    for (const auto& [name, values] : h.request().arguments)
        if (!values.empty()) args.emplace_back(name, values.back());
    detail::set_param(args, "openid.mode", "check_authentication");
    const auto response = co_await auth_fetch(
        openid_endpoint, {.method = "POST", .body = detail::urlencode(args)}, http_client);
    if (response.body.find("is_valid:true") == std::string::npos)
        throw AuthError("Invalid OpenID response: '" + response.body.substr(0, 200) + "'");
    co_return user_from_verified_request();
}

boost::json::object OpenIdMixin::user_from_verified_request() {
    auto& h = handler();
    const auto& arguments = h.request().arguments;
    // Only the fields the provider's signature covers (openid.signed, OpenID 2.0 §10.1: the
    // names without their "openid." prefix) are its word; check_authentication verified those
    // alone, and anything else in the query may have been added by whoever sent the browser here.
    std::set<std::string, std::less<>> signed_fields;
    {
        const std::string list = h.get_argument("openid.signed", std::string_view());
        std::string_view rest = list;
        while (!rest.empty()) {
            const auto comma = rest.find(',');
            if (const auto field = rest.substr(0, comma); !field.empty())
                signed_fields.emplace(std::string("openid.") + std::string(field));
            if (comma == std::string_view::npos) break;
            rest.remove_prefix(comma + 1);
        }
    }
    auto argument = [&](const std::string& name) {
        if (!signed_fields.contains(name)) return std::string();
        return h.get_argument(name, std::string_view());
    };
    // The alias the provider gave the AX namespace: openid.ns.<alias> = the AX URI.
    std::string ax_ns;
    for (const auto& [name, values] : arguments) {
        if (name.starts_with("openid.ns.") && argument(name) == ax_namespace) {
            ax_ns = name.substr(10);
            break;
        }
    }
    auto ax_arg = [&](std::string_view uri) -> std::string {
        if (ax_ns.empty()) return {};
        const std::string prefix = "openid." + ax_ns + ".type.";
        for (const auto& [name, values] : arguments)
            if (name.starts_with(prefix) && argument(name) == uri)
                return argument("openid." + ax_ns + ".value." + name.substr(prefix.size()));
        return {};
    };
    const auto email = ax_arg("http://axschema.org/contact/email");
    const auto name = ax_arg("http://axschema.org/namePerson");
    const auto first_name = ax_arg("http://axschema.org/namePerson/first");
    const auto last_name = ax_arg("http://axschema.org/namePerson/last");
    const auto username = ax_arg("http://axschema.org/namePerson/friendly");
    auto locale = ax_arg("http://axschema.org/pref/language");
    for (char& c : locale)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));

    boost::json::object user;
    std::string joined;
    if (!first_name.empty()) {
        user["first_name"] = first_name;
        joined = first_name;
    }
    if (!last_name.empty()) {
        user["last_name"] = last_name;
        joined += (joined.empty() ? "" : " ") + last_name;
    }
    if (!name.empty())
        user["name"] = name;
    else if (!joined.empty())
        user["name"] = joined;
    else if (!email.empty())
        user["name"] = email.substr(0, email.find('@'));
    if (!email.empty()) user["email"] = email;
    if (!locale.empty()) user["locale"] = locale;
    if (!username.empty()) user["username"] = username;
    if (const auto claimed_id = argument("openid.claimed_id"); !claimed_id.empty())
        user["claimed_id"] = claimed_id;
    return user;
}

}  // namespace typhoon::auth
