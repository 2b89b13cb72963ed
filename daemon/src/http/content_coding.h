#pragma once

#include <string_view>

namespace deskd::http {

// Whether a request's Accept-Encoding value admits the gzip coding (RFC 9110 §12.5.3): "gzip"
// (or its alias "x-gzip") with a q-value above 0, or "*" above 0 when gzip is not named. An
// element whose q-value is malformed admits nothing. (A request without the header gets the
// identity coding: the caller does not ask.)
bool accepts_gzip(std::string_view accept_encoding);

}  // namespace deskd::http
