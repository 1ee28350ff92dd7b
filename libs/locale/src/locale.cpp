#include <typhoon/locale/locale.hpp>

#include "locale_data.hpp"

#include <typhoon/core/error.hpp>
#include <typhoon/core/log.hpp>
#include <typhoon/locale/locale_names.hpp>
#include <typhoon/locale/translations.hpp>

#include <utility>

namespace typhoon::locale {
namespace detail {

Locale make_locale(std::shared_ptr<const LocaleData> data) noexcept {
    return Locale(std::move(data));
}

const std::string* MoCatalog::find(std::string_view msgid) const {
    // Python 3.11's gettext() looks at singular entries only: a plural entry is not found.
    const auto found = messages.find(msgid);
    return found == messages.end() ? nullptr : &found->second;
}

const std::string* MoCatalog::find_plural(std::string_view msgid, std::int64_t count) const {
    const auto found = plurals.find(msgid);
    if (found == plurals.end()) return nullptr;
    const std::int64_t index = plural(count);
    if (index < 0 || static_cast<std::uint64_t>(index) >= found->second.size()) return nullptr;
    return &found->second[static_cast<std::size_t>(index)];
}

std::string_view GettextChain::gettext(std::string_view message) const {
    for (const auto& catalog : catalogs)
        if (const std::string* found = catalog->find(message)) return *found;
    return message;
}

std::string_view GettextChain::ngettext(std::string_view message, std::string_view plural_message,
                                        std::int64_t count) const {
    for (const auto& catalog : catalogs)
        if (const std::string* found = catalog->find_plural(message, count)) return *found;
    return count == 1 ? message : plural_message;
}

namespace {
const std::string* find_in(const StringMap<std::string>& map, std::string_view key) {
    const auto found = map.find(key);
    return found == map.end() ? nullptr : &found->second;
}
}  // namespace

std::string_view translate_view(const LocaleData& data, std::string_view message) {
    if (!data.translations) return message;
    if (const auto* csv = std::get_if<CsvCatalog>(data.translations.get())) {
        const std::string* found = find_in(csv->unknown, message);
        return found ? std::string_view(*found) : message;
    }
    return std::get<GettextChain>(*data.translations).gettext(message);
}

std::string_view translate_view(const LocaleData& data, std::string_view message,
                                std::string_view plural_message, std::int64_t count) {
    if (!data.translations) return count == 1 ? message : plural_message;
    if (const auto* csv = std::get_if<CsvCatalog>(data.translations.get())) {
        const std::string_view chosen = count == 1 ? message : plural_message;
        const std::string* found = find_in(count == 1 ? csv->singular : csv->plural, chosen);
        return found ? std::string_view(*found) : chosen;
    }
    return std::get<GettextChain>(*data.translations).ngettext(message, plural_message, count);
}

std::shared_ptr<const LocaleData> build_locale_data(
    std::string code, std::shared_ptr<const Translations> translations) {
    auto data = std::make_shared<LocaleData>();
    data->code = std::move(code);
    const LocaleName* row = find_locale_name(data->code);
    data->name = row ? std::string(row->name) : std::string("Unknown");
    data->rtl = data->code.starts_with("fa") || data->code.starts_with("ar") ||
                data->code.starts_with("he");
    data->translations = std::move(translations);
    // Tornado translates the names once, when the Locale is made.
    static constexpr std::array<std::string_view, 12> months{
        "January", "February", "March",     "April",   "May",      "June",
        "July",    "August",   "September", "October", "November", "December"};
    static constexpr std::array<std::string_view, 7> weekdays{
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
    for (std::size_t i = 0; i < months.size(); ++i)
        data->months[i] = translate_view(*data, months[i]);
    for (std::size_t i = 0; i < weekdays.size(); ++i)
        data->weekdays[i] = translate_view(*data, weekdays[i]);
    return data;
}

}  // namespace detail

namespace {

const std::string* find_in(const detail::StringMap<std::string>& map, std::string_view key) {
    const auto found = map.find(key);
    return found == map.end() ? nullptr : &found->second;
}

/// "context\x04message", the key gettext stores a message with context under.
std::string context_key(std::string_view context, std::string_view message) {
    std::string key;
    key.reserve(context.size() + 1 + message.size());
    key.append(context).append(context_separator).append(message);
    return key;
}

std::string join_list(const detail::LocaleData& locale, std::span<const std::string_view> parts) {
    if (parts.empty()) return {};
    if (parts.size() == 1) return std::string(parts[0]);
    const std::string_view comma = locale.code.starts_with("fa") ? " \xD9\x88 " : ", ";
    std::string commas;
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
        if (i > 0) commas += comma;
        commas += parts[i];
    }
    const std::string_view last = parts.back();
    const detail::FormatArg args[] = {{"commas", std::string_view(commas)}, {"last", last}};
    return detail::percent_format(detail::translate_view(locale, "%(commas)s and %(last)s"), args);
}

}  // namespace

Locale::Locale(std::shared_ptr<const detail::LocaleData> data) noexcept : data_(std::move(data)) {}

const std::string& Locale::code() const noexcept {
    return data_->code;
}
const std::string& Locale::name() const noexcept {
    return data_->name;
}
bool Locale::rtl() const noexcept {
    return data_->rtl;
}

std::string Locale::translate(std::string_view message) const {
    return std::string(detail::translate_view(*data_, message));
}

std::string Locale::translate(std::string_view message, std::string_view plural_message,
                              std::int64_t count) const {
    return std::string(detail::translate_view(*data_, message, plural_message, count));
}

std::string Locale::pgettext(std::string_view context, std::string_view message) const {
    const std::string key = context_key(context, message);
    if (!data_->translations) return std::string(message);
    if (const auto* csv = std::get_if<detail::CsvCatalog>(data_->translations.get())) {
        if (const std::string* found = find_in(csv->unknown, key)) return *found;
        if (!csv->empty()) log::gen_log.warning("pgettext is not supported by CSVLocale");
        return translate(message);
    }
    const std::string_view result =
        std::get<detail::GettextChain>(*data_->translations).gettext(key);
    if (result.find(context_separator) != std::string_view::npos)
        return std::string(message);  // not translated
    return std::string(result);
}

std::string Locale::pgettext(std::string_view context, std::string_view message,
                             std::string_view plural_message, std::int64_t count) const {
    const std::string key = context_key(context, message);
    const std::string plural_key = context_key(context, plural_message);
    if (!data_->translations) return translate(message, plural_message, count);
    if (const auto* csv = std::get_if<detail::CsvCatalog>(data_->translations.get())) {
        const std::string* found =
            find_in(count == 1 ? csv->singular : csv->plural, count == 1 ? key : plural_key);
        if (found) return *found;
        if (!csv->empty()) log::gen_log.warning("pgettext is not supported by CSVLocale");
        return translate(message, plural_message, count);
    }
    const auto& chain = std::get<detail::GettextChain>(*data_->translations);
    const std::string_view result = chain.ngettext(key, plural_key, count);
    if (result.find(context_separator) != std::string_view::npos)
        return std::string(chain.ngettext(message, plural_message, count));
    return std::string(result);
}

std::string Locale::list(std::span<const std::string> parts) const {
    return join_list(*data_, std::vector<std::string_view>(parts.begin(), parts.end()));
}
std::string Locale::list(std::span<const std::string_view> parts) const {
    return join_list(*data_, parts);
}
std::string Locale::list(std::initializer_list<std::string_view> parts) const {
    return join_list(*data_, std::span<const std::string_view>(parts.begin(), parts.size()));
}

std::string Locale::friendly_number(std::int64_t value) const {
    std::string digits = std::to_string(value);
    if (data_->code != "en" && data_->code != "en_US") return digits;
    // Groups of three from the right over the whole text, sign included, as Tornado does
    // (so -123456 becomes "-,123,456": a quirk we keep).
    std::string out;
    const std::size_t head = digits.size() % 3 == 0 ? 3 : digits.size() % 3;
    out.append(digits, 0, head);
    for (std::size_t i = head; i < digits.size(); i += 3) {
        out += ',';
        out.append(digits, i, 3);
    }
    return out;
}

}  // namespace typhoon::locale
