// RequestHandler's argument accessors: get_argument() and its query and body variants.
#include <typhoon/web/request_handler.hpp>

#include <typhoon/web/http_error.hpp>

#include "arguments.hpp"

#include <typhoon/core/detail/strings.hpp>
#include <typhoon/core/utf8.hpp>

#include <utility>

namespace typhoon::web {

std::string detail::decode_argument(std::string value, std::string_view name) {
    if (!escape::is_valid_utf8(value))
        throw HTTPError(400, "Invalid unicode in " + std::string(name) + ": " +
                                 escape::detail::python_repr(std::string_view(value).substr(0, 40),
                                                             escape::detail::Repr::bytes));
    return value;
}

namespace {

std::vector<std::string> arguments_from(const httputil::Arguments& source, std::string_view name,
                                        ArgumentOptions options) {
    std::vector<std::string> values;
    const auto found = source.find(name);
    if (found == source.end()) return values;
    for (const auto& raw : found->second) {
        std::string value = detail::decode_argument(raw, name);
        // Control characters other than white space become spaces, as in Tornado.
        for (char& c : value)
            if ((c >= 0 && c <= 8) || (c >= 0x0e && c <= 0x1f)) c = ' ';
        values.push_back(options.strip ? std::string(escape::detail::strip_unicode(value))
                                       : std::move(value));
    }
    return values;
}

std::optional<std::string> last_argument(const httputil::Arguments& source, std::string_view name,
                                         ArgumentOptions options) {
    auto values = arguments_from(source, name, options);
    if (values.empty()) return std::nullopt;
    return std::move(values.back());
}

// The three families (all arguments, query, body) differ only in the table they read.
std::string required_argument(const httputil::Arguments& source, std::string_view name,
                              ArgumentOptions options) {
    auto value = last_argument(source, name, options);
    if (!value) throw MissingArgumentError(std::string(name));
    return std::move(*value);
}

std::string argument_or(const httputil::Arguments& source, std::string_view name,
                        std::string_view default_value, ArgumentOptions options) {
    auto value = last_argument(source, name, options);
    return value ? std::move(*value) : std::string(default_value);
}

}  // namespace

std::string RequestHandler::get_argument(std::string_view name, ArgumentOptions options) const {
    return required_argument(request_->arguments, name, options);
}
std::string RequestHandler::get_argument(std::string_view name, std::string_view default_value,
                                         ArgumentOptions options) const {
    return argument_or(request_->arguments, name, default_value, options);
}
std::optional<std::string> RequestHandler::get_argument(std::string_view name, std::nullopt_t,
                                                        ArgumentOptions options) const {
    return last_argument(request_->arguments, name, options);
}
std::vector<std::string> RequestHandler::get_arguments(std::string_view name,
                                                       ArgumentOptions options) const {
    return arguments_from(request_->arguments, name, options);
}

std::string RequestHandler::get_query_argument(std::string_view name,
                                               ArgumentOptions options) const {
    return required_argument(request_->query_arguments, name, options);
}
std::string RequestHandler::get_query_argument(std::string_view name,
                                               std::string_view default_value,
                                               ArgumentOptions options) const {
    return argument_or(request_->query_arguments, name, default_value, options);
}
std::optional<std::string> RequestHandler::get_query_argument(std::string_view name, std::nullopt_t,
                                                              ArgumentOptions options) const {
    return last_argument(request_->query_arguments, name, options);
}
std::vector<std::string> RequestHandler::get_query_arguments(std::string_view name,
                                                             ArgumentOptions options) const {
    return arguments_from(request_->query_arguments, name, options);
}

std::string RequestHandler::get_body_argument(std::string_view name,
                                              ArgumentOptions options) const {
    return required_argument(request_->body_arguments, name, options);
}
std::string RequestHandler::get_body_argument(std::string_view name, std::string_view default_value,
                                              ArgumentOptions options) const {
    return argument_or(request_->body_arguments, name, default_value, options);
}
std::optional<std::string> RequestHandler::get_body_argument(std::string_view name, std::nullopt_t,
                                                             ArgumentOptions options) const {
    return last_argument(request_->body_arguments, name, options);
}
std::vector<std::string> RequestHandler::get_body_arguments(std::string_view name,
                                                            ArgumentOptions options) const {
    return arguments_from(request_->body_arguments, name, options);
}

}  // namespace typhoon::web
