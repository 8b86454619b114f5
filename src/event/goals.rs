//! The two facts conversions are counted from (issue 21): a [`Visit`], which every accepted page
//! view leaves for the conversions that may follow it, and a [`GoalReached`], one accepted goal
//! event (`POST /api/goals`, or a page goal matched by a view).

use crate::view_source::ViewSource;
use crate::Channel;

/// What a page view leaves for the credit rule: who viewed, where they came from and, for an
/// arrival through a share, through which channel and as which cascade node. Sent beside the view's
/// `Event::View`, which stays what it was (the views' counters do not depend on this).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visit {
    pub site: String,
    pub minute: i64,
    pub page: String,
    /// The daily visitor hash (as for de-duplication).
    pub visitor: String,
    /// The raw node id of the fingerprint this view got (`Fingerprint::node_id`): what a server-side
    /// goal names with `fp`, and, for an arrival, its node in the cascade.
    pub node: String,
    pub source: ViewSource,
    /// The share's channel, for an arrival through a share (then `node` is its cascade node).
    pub channel: Option<Channel>,
}

/// Who reached a goal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Converter {
    /// The snippet's visitor (or a page goal's): the daily visitor hash and the address hash (whose
    /// conversions are capped, whatever its user agents).
    Visitor { visitor: String, address: String },
    /// A site's server, naming the converting visitor's page view by its fingerprint's node id; the
    /// visitor is the visitor of that view (resolved when the event is counted).
    View { node: String },
}

/// One accepted goal event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalReached {
    /// Random; the event's own de-duplication key (a redelivery repeats it).
    pub id: String,
    pub site: String,
    pub minute: i64,
    /// The page it happened on (without query and fragment); empty from a server, where the
    /// named view's page is used.
    pub page: String,
    /// A valid goal name (`goal::GoalName`).
    pub name: String,
    /// The value in hundredths and its currency (`goal::Amount`), if any.
    pub value: Option<(i64, String)>,
    pub by: Converter,
}
