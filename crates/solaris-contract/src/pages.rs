//! Pagination of Solaris' list endpoints: `page[number]` (from 1) and `page[size]` in the
//! query; the answer is a bare JSON array of that page. A page shorter than the size asked for
//! is the last one.

use serde::{Deserialize, Serialize};

/// The page size Solaris uses when none is asked for (not documented; third-party mocks use 10).
pub const DEFAULT_PAGE_SIZE: usize = 10;
/// The largest page size the emulator serves (not documented).
pub const MAX_PAGE_SIZE: usize = 100;

/// `page[number]` and `page[size]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageQuery {
    /// The page, from 1.
    #[serde(rename = "page[number]", default = "first_page")]
    pub number: usize,
    /// Items per page.
    #[serde(rename = "page[size]", default = "default_size")]
    pub size: usize,
}

fn first_page() -> usize {
    1
}

fn default_size() -> usize {
    DEFAULT_PAGE_SIZE
}

impl Default for PageQuery {
    fn default() -> PageQuery {
        PageQuery {
            number: 1,
            size: DEFAULT_PAGE_SIZE,
        }
    }
}

impl PageQuery {
    /// Page `number` of `size` items.
    pub fn new(number: usize, size: usize) -> PageQuery {
        PageQuery { number, size }
    }

    /// The query string, e.g. `page[number]=2&page[size]=100` (brackets percent-encoded).
    pub fn to_query(self) -> String {
        format!(
            "page%5Bnumber%5D={}&page%5Bsize%5D={}",
            self.number, self.size
        )
    }
}

/// A list cut into pages.
pub trait Paginated<T> {
    /// The items of `page`; out-of-range pages are empty.
    fn page(&self, page: PageQuery) -> &[T];
}

impl<T> Paginated<T> for [T] {
    fn page(&self, page: PageQuery) -> &[T] {
        let size = page.size.max(1);
        let start = page.number.saturating_sub(1).saturating_mul(size);
        let start = start.min(self.len());
        let end = start.saturating_add(size).min(self.len());
        &self[start..end]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_cut_the_list() {
        let items: Vec<u32> = (1..=25).collect();
        assert_eq!(items.page(PageQuery::default()), &items[0..10]);
        assert_eq!(items.page(PageQuery::new(3, 10)), &items[20..25]);
        assert!(items.page(PageQuery::new(4, 10)).is_empty());
        assert!(
            items
                .page(PageQuery::new(usize::MAX, usize::MAX))
                .is_empty()
        );
        assert_eq!(items.page(PageQuery::new(0, 0)), &items[0..1]);
        assert_eq!(
            PageQuery::new(2, 100).to_query(),
            "page%5Bnumber%5D=2&page%5Bsize%5D=100"
        );
    }
}
