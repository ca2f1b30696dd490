// TCPD metrics on hand-computed cases (the arithmetic is written out next to each number).
#include <gtest/gtest.h>

#include "host/eval/eval.hpp"

namespace turnpoint {
namespace {

TEST(Eval, CleanPredictionsDeduplicatesAndKeepsOneToNMinusTwo) {
  // n = 100: 0 and 99 (= n-1) and 120 dropped, 5 kept once.
  EXPECT_EQ(clean_predictions({0, 5, 5, 99, 120, 98}, 100), (std::vector<int>{5, 98}));
}

TEST(Eval, MatchingIsTcpdGreedyOneToOne) {
  // TCPD doctests: true_positives({1,10,20,23}, {3,8,20}) = {1,10,20} with margin 5:
  // 1 -> 3 (|2|), 10 -> 8 (|2|), 20 -> 20, 23 -> nothing left (20 taken, 8 is 15 away).
  auto pairs = match_within_margin({1, 10, 20, 23}, {3, 8, 20}, 5);
  ASSERT_EQ(pairs.size(), 3u);
  EXPECT_EQ(pairs[0], std::make_pair(1, 3));
  EXPECT_EQ(pairs[1], std::make_pair(10, 8));
  EXPECT_EQ(pairs[2], std::make_pair(20, 20));
  // true_positives({1,10,20,23}, {1,3,5,8,20}) = {1,10,20}.
  EXPECT_EQ(match_within_margin({1, 10, 20, 23}, {1, 3, 5, 8, 20}, 5).size(), 3u);
  // Greedy, not maximal: truth {10, 14}, prediction {12}, margin 3: 10 takes 12 (|2|),
  // 14 finds nothing.
  pairs = match_within_margin({10, 14}, {12}, 3);
  ASSERT_EQ(pairs.size(), 1u);
  EXPECT_EQ(pairs[0], std::make_pair(10, 12));
  // Tie at distance 2 between 8 and 12: the smaller location wins (sorted (dist, x)).
  pairs = match_within_margin({10}, {12, 8}, 5);
  ASSERT_EQ(pairs.size(), 1u);
  EXPECT_EQ(pairs[0].second, 8);
  EXPECT_TRUE(match_within_margin({}, {1, 2}, 5).empty());
  EXPECT_TRUE(match_within_margin({1, 2}, {}, 5).empty());
}

TEST(Eval, SingleAnnotatorByHand) {
  // n = 100, truth {20, 50}, predictions {22, 49, 80}, margin 5.
  // T = {0,20,50}, X = {0,22,49,80}; matches 0-0, 20-22, 50-49: TP = 3.
  // P = 3/4, R = 3/3 = 1, F1 = 2 * 0.75 * 1 / 1.75 = 6/7.
  const SeriesScore s = score_series({{20, 50}}, {22, 49, 80}, 100, 5);
  EXPECT_DOUBLE_EQ(s.precision, 0.75);
  EXPECT_DOUBLE_EQ(s.recall, 1.0);
  EXPECT_NEAR(s.f1, 6.0 / 7.0, 1e-15);
  // Cover: true [0,20) [20,50) [50,100); predicted [0,22) [22,49) [49,80) [80,100).
  //  [0,20):   best with [0,22): 20/22.
  //  [20,50):  [22,49): inter 27, union 30 -> 0.9 (others 2/50, 1/60).
  //  [50,100): [49,80): inter 30, union 50+31-30 = 51 -> 30/51; [80,100): 20/50.
  // C = (20 * 20/22 + 30 * 0.9 + 50 * 30/51) / 100.
  const double c = (20.0 * 20.0 / 22.0 + 30.0 * 0.9 + 50.0 * 30.0 / 51.0) / 100.0;
  EXPECT_NEAR(s.cover, c, 1e-12);
  EXPECT_NEAR(s.cover, 0.745935828877, 1e-9);
}

TEST(Eval, TwoAnnotatorsByHand) {
  // n = 50, annotator 1 {10, 30}, annotator 2 {12}, predictions {11, 40}, margin 2.
  // T1 = {0,10,30}, T2 = {0,12}, union T* = {0,10,12,30}, X = {0,11,40}.
  // Precision: T* vs X: 0-0, 10-11, 12 finds nothing (11 taken, 40 too far), 30 nothing:
  //   P = 2/3.
  // Recall: T1: 0-0, 10-11 -> 2/3; T2: 0-0, 12-11 -> 2/2. R = (2/3 + 1)/2 = 5/6.
  // F1 = 2 (2/3)(5/6) / (2/3 + 5/6) = (10/9) / (3/2) = 20/27.
  const SeriesScore s = score_series({{10, 30}, {12}}, {11, 40}, 50, 2);
  EXPECT_NEAR(s.precision, 2.0 / 3.0, 1e-15);
  EXPECT_NEAR(s.recall, 5.0 / 6.0, 1e-15);
  EXPECT_NEAR(s.f1, 20.0 / 27.0, 1e-15);
  // Cover, predicted segments [0,11) [11,40) [40,50).
  // Annotator 1: [0,10): 10/11; [10,30): with [11,40) inter 19 union 30 -> 19/30;
  //   [30,50): with [40,50) inter 10 union 20 -> 1/2 (with [11,40): 10/39).
  //   C1 = (10*10/11 + 20*19/30 + 20*0.5)/50 = 1048/1650.
  // Annotator 2: [0,12): with [0,11) 11/12; [12,50): with [11,40) inter 28 union 39 ->
  //   28/39 (with [40,50): 10/38). C2 = (12*11/12 + 38*28/39)/50 = 1493/1950.
  EXPECT_NEAR(s.cover, (1048.0 / 1650.0 + 1493.0 / 1950.0) / 2.0, 1e-12);
}

TEST(Eval, NoTrueChangeAndOutOfRangePredictions) {
  // n = 100, no truth; predictions {0, 5, 5, 99, 120} clean to {5}.
  // T = {0}, X = {0, 5}: TP = 1. P = 1/2, R = 1, F1 = 2/3.
  // Cover: [0,100) vs [0,5) and [5,100): best 95/100 -> C = 0.95.
  const SeriesScore s = score_series({{}}, {0, 5, 5, 99, 120}, 100, 5);
  EXPECT_DOUBLE_EQ(s.precision, 0.5);
  EXPECT_DOUBLE_EQ(s.recall, 1.0);
  EXPECT_NEAR(s.f1, 2.0 / 3.0, 1e-15);
  EXPECT_DOUBLE_EQ(s.cover, 0.95);
  // Nothing predicted, nothing true: perfect.
  const SeriesScore e = score_series({{}}, {}, 10, 5);
  EXPECT_DOUBLE_EQ(e.f1, 1.0);
  EXPECT_DOUBLE_EQ(e.cover, 1.0);
}

TEST(Eval, PanelSummaryKindsAndLocationErrors) {
  // Series 0 (n = 100): truth 20 event, 50 seasonal; predicted 22 event, 49 event, 80.
  // Series 1: truth 30 event; predicted nothing.
  Truth truth;
  truth.n_annotators = 1;
  truth.points = {{0, 20, 0, TurnKind::event, TruthSubtype::level_shift, 0.2, 0},
                  {0, 50, 0, TurnKind::seasonal, TruthSubtype::yearly_phase, 30, 0},
                  {1, 30, 0, TurnKind::event, TruthSubtype::shock, -0.3, 0}};
  std::vector<PredictedPoint> pred = {{0, 22, TurnKind::event},
                                      {0, 49, TurnKind::event},
                                      {0, 80, TurnKind::unclassified}};
  const EvalSummary s = evaluate(truth, pred, 2, 100, 5);
  // Series 0: F1 6/7 (SingleAnnotatorByHand). Series 1: T = {0,30}, X = {0}: P = 1,
  // R = 1/2, F1 = 2/3; cover: [0,30) 30/100 -> 30*0.3 = 9, [30,100) 70/100 -> 70*0.7 = 49:
  // (9 + 49)/100 = 0.58.
  EXPECT_NEAR(s.f1, (6.0 / 7.0 + 2.0 / 3.0) / 2, 1e-12);
  EXPECT_NEAR(s.precision, (0.75 + 1.0) / 2, 1e-12);
  EXPECT_NEAR(s.recall, (1.0 + 0.5) / 2, 1e-12);
  EXPECT_NEAR(s.cover, (0.745935828877 + 0.58) / 2, 1e-9);
  EXPECT_EQ(s.n_true, 3);
  EXPECT_EQ(s.n_predicted, 3);
  EXPECT_EQ(s.n_matched, 2);  // 20-22 and 50-49
  EXPECT_EQ(s.kind_total, 2);
  EXPECT_EQ(s.kind_correct, 1);  // 22 event = event; 49 event != seasonal
  // Errors +2 and -1: histogram over -5..5.
  EXPECT_EQ(s.error_histogram[static_cast<std::size_t>(2 + 5)], 1);
  EXPECT_EQ(s.error_histogram[static_cast<std::size_t>(-1 + 5)], 1);
  EXPECT_DOUBLE_EQ(s.mean_abs_error, 1.5);
  EXPECT_DOUBLE_EQ(s.median_error, 0.5);  // between -1 and 2
}

TEST(Eval, MultiAnnotatorPanelUsesAllAnnotators) {
  // The TwoAnnotatorsByHand case as a panel: annotator 0 {10, 30}, annotator 1 {12}.
  Truth truth;
  truth.n_annotators = 2;
  truth.points = {{0, 10, 0, TurnKind::event, TruthSubtype::level_shift, 0.2, 0},
                  {0, 30, 0, TurnKind::event, TruthSubtype::level_shift, 0.2, 0},
                  {0, 12, 0, TurnKind::event, TruthSubtype::level_shift, 0.2, 1}};
  const EvalSummary s =
      evaluate(truth, {{0, 11, TurnKind::event}, {0, 40, TurnKind::event}}, 1, 50, 2);
  EXPECT_NEAR(s.f1, 20.0 / 27.0, 1e-15);
  EXPECT_EQ(s.n_true, 2);  // annotator 0 only
  EXPECT_EQ(s.n_matched, 1);
}

TEST(Eval, RejectsTruthForUnknownSeries) {
  Truth truth;
  truth.points = {{5, 10, 0, TurnKind::event, TruthSubtype::level_shift, 0.2, 0}};
  EXPECT_ANY_THROW(evaluate(truth, {}, 2, 50, 5));
}

}  // namespace
}  // namespace turnpoint
