#pragma once

#include <boost/json/object.hpp>
#include <string>

#include "mqtt/state_view.h"

namespace deskd::mqtt {

// B/state as a JSON object, every field always present (null where the view's optional is
// empty), in the documented order.
boost::json::object state_to_json(const StateView& s);
// The serialised B/state payload.
std::string encode_state(const StateView& s);

}  // namespace deskd::mqtt
