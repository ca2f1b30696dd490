// The time axis rules (host/core/time_axis.hpp): each frequency recognised from its
// calendar steps, and the first element that breaks it named with the file.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "host/core/calendar.hpp"
#include "host/core/time_axis.hpp"
#include "kernels/error.hpp"

namespace turnpoint {
namespace {

std::vector<std::int32_t> months(int y, int m, int n, int step = 1) {
  std::vector<std::int32_t> t;
  for (int k = 0; k < n; ++k) {
    const int mm = m - 1 + k * step;
    t.push_back(days_from_civil(y + mm / 12, 1 + mm % 12, 1));
  }
  return t;
}

TEST(TimeAxis, RecognisesEachFrequency) {
  EXPECT_EQ(axis_frequency({100, 101, 102}, "f"), Frequency::daily);
  EXPECT_EQ(axis_frequency({100, 107, 114}, "f"), Frequency::weekly);
  EXPECT_EQ(axis_frequency(months(2019, 11, 30), "f"), Frequency::monthly);  // across years
  EXPECT_EQ(axis_frequency(months(2019, 1, 8, 3), "f"), Frequency::quarterly);
  EXPECT_EQ(axis_frequency(months(1990, 1, 30, 12), "f"), Frequency::annual);
  EXPECT_EQ(axis_frequency({7}, "f"), Frequency::daily);
  // A monthly axis need not sit on the 1st: the 15th of each month is monthly too.
  EXPECT_EQ(axis_frequency({days_from_civil(2020, 1, 15), days_from_civil(2020, 2, 15)}, "f"),
            Frequency::monthly);
}

TEST(TimeAxis, NamesTheElementThatBreaksIt) {
  auto message = [](const std::vector<std::int32_t>& t) {
    try {
      axis_frequency(t, "x.h5");
    } catch (const invalid_input& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  std::string e = message({100, 101, 103});
  EXPECT_NE(e.find("x.h5: /time is not a regular axis: element 1 is"), std::string::npos) << e;
  EXPECT_NE(e.find("daily axis steps one day"), std::string::npos) << e;
  std::vector<std::int32_t> m = months(2020, 1, 6);
  m[4] = m[3];  // a repeated month
  e = message(m);
  EXPECT_NE(e.find("element 3 is 2020-04-01 and element 4 is 2020-04-01"), std::string::npos) << e;
  e = message({100, 103, 106});
  EXPECT_NE(e.find("day, week, month, quarter or year"), std::string::npos) << e;
}

}  // namespace
}  // namespace turnpoint
