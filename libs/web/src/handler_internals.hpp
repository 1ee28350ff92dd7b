#ifndef TYPHOON_WEB_SRC_HANDLER_INTERNALS_HPP
#define TYPHOON_WEB_SRC_HANDLER_INTERNALS_HPP

#include <typhoon/web/request_handler.hpp>
#include <typhoon/web/ui_module.hpp>

#include "gzip_encoder.hpp"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace typhoon::web {

/// What a handler makes only when it is used (most requests use none of it), shared by the
/// files RequestHandler is written in.
struct RequestHandler::Internals {
    std::optional<boost::json::value> current_user;
    std::optional<locale::Locale> locale;
    // Modules in the order the page first used them: their resources go in the page in that order.
    std::vector<std::pair<std::string, std::unique_ptr<UIModule>>> active_modules;
    // compress_response: the encoder of this response, when it is being gzipped.
    std::unique_ptr<detail::GzipEncoder> gzip;
};

}  // namespace typhoon::web

#endif
