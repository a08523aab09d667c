//! Clusters: the people a set of pairs implies, as connected components.

/// The cluster of each of `count` records given pairs of record indices: a cluster is
/// named by its smallest member index, so the result does not depend on pair order.
pub fn components(count: usize, pairs: impl IntoIterator<Item = (u32, u32)>) -> Vec<u32> {
    // Fewer than 2^32 records (the reader refuses more).
    let mut parent: Vec<u32> = (0..count)
        .map(|i| u32::try_from(i).unwrap_or(u32::MAX))
        .collect();
    for (a, b) in pairs {
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        if ra != rb {
            // The smaller index becomes the root, so each root is its cluster's minimum.
            let (low, high) = if ra < rb { (ra, rb) } else { (rb, ra) };
            parent[high as usize] = low;
        }
    }
    (0..count)
        .map(|i| find(&mut parent, u32::try_from(i).unwrap_or(u32::MAX)))
        .collect()
}

fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        let grand = parent[parent[x as usize] as usize];
        parent[x as usize] = grand;
        x = grand;
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chains_join_and_names_are_minimums() {
        assert_eq!(
            components(6, [(4, 2), (2, 5), (1, 3)]),
            vec![0, 1, 2, 1, 2, 2]
        );
        assert_eq!(components(3, []), vec![0, 1, 2]);
    }
}
