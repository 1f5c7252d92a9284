//! The font every plot draws its text with, embedded in the binary: no system fonts.

use std::sync::Once;

use plotters::style::FontStyle;

/// DejaVu Sans (Bitstream Vera licence, DejaVu changes public domain; see
/// `assets/DejaVuSans-LICENSE.txt`).
pub static DEJAVU_SANS: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");

static REGISTER: Once = Once::new();

/// Registers the embedded font with plotters under the family names its styles use
/// (`sans-serif`, `serif`, `monospace`); once per process, before any text is drawn.
pub fn register_embedded_font() {
    REGISTER.call_once(|| {
        for family in ["sans-serif", "serif", "monospace"] {
            // The bytes are a valid TrueType font (tested); a failure leaves text undrawn,
            // which the drawing then reports as an error.
            let _ = plotters::style::register_font(family, FontStyle::Normal, DEJAVU_SANS);
        }
    });
}
