//! How telling counts of articles are: Dunning's log-likelihood ratio G² for two counts (how
//! surprising a difference is), and BM25's inverse document frequency of a word (how rare).
//!
//! `trends` compares how many articles of a window and of a baseline mention a term;
//! `entities --with` compares how many articles mentioning a name, and how many not mentioning
//! it, mention another entity. Both are the same 2×2 table of article counts:
//!
//! |            | has it | has not          |
//! |------------|--------|------------------|
//! | group A    | `a`    | `a_total - a`    |
//! | group B    | `b`    | `b_total - b`    |
//!
//! G² = 2 Σ O ln(O / E) over the four cells, E being the count expected if the share were the
//! same in both groups (row total × column total / grand total). Under that hypothesis G² is
//! χ²-distributed with one degree of freedom: 3.84 is p = 0.05, 10.83 p = 0.001. Unlike a
//! ratio of shares, it stays small for a word seen twice instead of once, and unlike χ² it is
//! accurate for the small counts most words have (Dunning 1993, "Accurate methods for the
//! statistics of surprise and coincidence").

/// BM25's inverse document frequency of a word in `frequency` of `documents` articles, as
/// tantivy scores a term (its own function is not public): for choosing the words a query is
/// made of, by the weight a search will give them.
pub fn idf(documents: f32, frequency: f32) -> f32 {
    (1.0 + (documents - frequency + 0.5) / (frequency + 0.5)).ln()
}

/// G² of the table, signed: positive when group A has the larger share, negative when it has
/// the smaller one, 0 when they are equal or a group is empty. Counts above their totals are
/// read as the totals.
pub fn signed_g2(a: u64, a_total: u64, b: u64, b_total: u64) -> f64 {
    let (a, b) = (a.min(a_total), b.min(b_total));
    if a_total == 0 || b_total == 0 {
        return 0.0;
    }
    let cells = [
        (a, a_total, a + b),
        (a_total - a, a_total, a_total + b_total - a - b),
        (b, b_total, a + b),
        (b_total - b, b_total, a_total + b_total - a - b),
    ];
    let total = (a_total + b_total) as f64;
    let mut sum = 0.0;
    for (observed, row, column) in cells {
        if observed == 0 {
            continue;
        }
        let expected = row as f64 * column as f64 / total;
        sum += observed as f64 * (observed as f64 / expected).ln();
    }
    let g2 = (2.0 * sum).max(0.0);
    // Compared as a × b_total against b × a_total: no division, no rounding.
    match (u128::from(a) * u128::from(b_total)).cmp(&(u128::from(b) * u128::from(a_total))) {
        std::cmp::Ordering::Greater => g2,
        std::cmp::Ordering::Less => -g2,
        std::cmp::Ordering::Equal => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_shares_score_zero_and_the_sign_follows_the_larger_share() {
        assert_eq!(signed_g2(10, 100, 40, 400), 0.0);
        assert!(signed_g2(20, 100, 20, 400) > 0.0);
        assert!(signed_g2(2, 100, 40, 400) < 0.0);
        assert_eq!(signed_g2(3, 0, 4, 10), 0.0);
        assert_eq!(signed_g2(0, 10, 0, 10), 0.0);
    }

    #[test]
    fn known_value() {
        // a = 2 of 2 against 0 of 7: 2 (2 ln 4.5 + 7 ln (9/7)) = 9.5346...
        let expected = 2.0 * (2.0 * 4.5f64.ln() + 7.0 * (9.0f64 / 7.0).ln());
        assert!((signed_g2(2, 2, 0, 7) - expected).abs() < 1e-9);
        // Swapping the groups only flips the sign.
        assert!((signed_g2(5, 50, 1, 50) + signed_g2(1, 50, 5, 50)).abs() < 1e-12);
    }

    #[test]
    fn larger_samples_of_the_same_shares_are_more_significant() {
        assert!(signed_g2(20, 100, 10, 100) > signed_g2(2, 10, 1, 10));
    }
}
