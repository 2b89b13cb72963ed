#include "core/schedule_fields.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace deskd::core {
namespace {

ScheduleSettings with_groups_enabled() {
  ScheduleSettings s;
  s.progression.enabled = true;
  s.breaks.enabled = true;
  return s;
}

TEST(ScheduleFields, EveryNumberIsRangeCheckedByValidateUnderItsQualifiedName) {
  for (const auto& f : kScheduleFields) {
    if (f.kind != FieldKind::kInt) continue;
    for (int bad : {f.min - 1, f.max + 1}) {
      ScheduleSettings s = with_groups_enabled();
      *f.number(s) = bad;
      const auto e = validate(s);
      ASSERT_TRUE(e) << qualified_key(f) << " = " << bad << " passed validate()";
      EXPECT_EQ(e->rfind(qualified_key(f) + ": must be between", 0), 0u) << *e;
    }
    ScheduleSettings s = with_groups_enabled();
    *f.number(s) = f.max;
    EXPECT_EQ(int_value(f, s), f.max);
  }
}

TEST(ScheduleFields, EachFieldHasItsOwnNameAndItsOwnMember) {
  std::set<std::string> names;
  for (const auto& f : kScheduleFields) {
    EXPECT_TRUE(names.insert(qualified_key(f)).second) << qualified_key(f) << " twice";
    EXPECT_EQ(find_field(f.group, f.key), &f);
  }
  // Writing one field through the table changes nothing else.
  for (const auto& f : kScheduleFields) {
    ScheduleSettings s;
    const ScheduleSettings before = s;
    switch (f.kind) {
      case FieldKind::kBool:
        *f.flag(s) = !bool_value(f, s);
        break;
      case FieldKind::kInt:
        *f.number(s) = int_value(f, s) + 1;
        break;
      case FieldKind::kMode:
        *f.mode(s) = ScheduleMode::kRemind;
        break;
      case FieldKind::kCheckin:
        *f.checkin(s) = ComfortCheckinMode::kDaily;
        break;
    }
    EXPECT_FALSE(s == before) << qualified_key(f) << " wrote nothing";
    for (const auto& other : kScheduleFields) {
      if (&other == &f || other.kind != f.kind) continue;
      const bool same =
          other.kind == FieldKind::kBool  ? bool_value(other, s) == bool_value(other, before)
          : other.kind == FieldKind::kInt ? int_value(other, s) == int_value(other, before)
                                          : true;
      EXPECT_TRUE(same) << "writing " << qualified_key(f) << " changed " << qualified_key(other);
    }
  }
  EXPECT_EQ(find_field(FieldGroup::kTop, "start_minutes"), nullptr);
}

// Issue 23: a 30-minute walk every 10 minutes is refused, in the words of the field.
TEST(ScheduleFields, ABreakLongerThanItsIntervalIsRefused) {
  ScheduleSettings s = with_groups_enabled();
  s.breaks.every_minutes = 10;
  s.breaks.duration_minutes = 30;
  EXPECT_EQ(validate(s), "breaks.duration_minutes: must be shorter than every_minutes");
  s.breaks.duration_minutes = 9;
  EXPECT_EQ(validate(s), std::nullopt);
  s.breaks.enabled = false;  // off: its numbers do not matter
  s.breaks.duration_minutes = 30;
  EXPECT_EQ(validate(s), std::nullopt);
}

}  // namespace
}  // namespace deskd::core
