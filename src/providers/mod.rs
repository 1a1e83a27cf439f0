//! Vendor bodies become `Order` here and nowhere else.
