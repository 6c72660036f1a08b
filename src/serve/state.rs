//! What every request shares: the open archive, the answers kept, and where "today" comes
//! from.

use chrono::NaiveDate;

use crate::search::Archive;
use crate::serve::cache::ResponseCache;

pub struct AppState {
    pub archive: Archive,
    pub cache: ResponseCache,
    /// A fixed "today" for relative dates, or `None` for the clock's.
    pub today: Option<NaiveDate>,
}

impl AppState {
    pub fn today(&self) -> NaiveDate {
        self.today
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }
}

pub type Shared = std::sync::Arc<AppState>;
