#ifndef TYPHOON_OPTIONS_LOG_OPTIONS_HPP
#define TYPHOON_OPTIONS_LOG_OPTIONS_HPP

#include <typhoon/options/option_parser.hpp>

namespace typhoon::options {

/** Defines Tornado's logging options on `parser` and adds enable_pretty_logging() as a parse
    callback (tornado.log.define_logging_options). options() already has them.

    --logging=debug|info|warning|error|none   root level of typhoon::log; "none" leaves it alone
    --log_to_stderr                          keep writing to stderr even with a log file
    --log_file_prefix=PATH                   write to this file (and only there, by default)
    --log_file_max_size, --log_file_num_backups, --log_rotate_mode=size|time,
    --log_rotate_when, --log_rotate_interval  how that file rotates */
void define_logging_options(OptionParser& parser);

/** Configures typhoon::log from the logging options of `parser`
   (tornado.log.enable_pretty_logging): sets the root level and installs a rotating file handler.
   Called again, it replaces the file handler it installed before rather than adding a second one
   (Tornado would log twice).
    @throws Error for a level or rotate mode it does not know, naming the option and the value. */
void enable_pretty_logging(const OptionParser& parser);

}  // namespace typhoon::options

#endif
