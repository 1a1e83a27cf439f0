//! The real demo in headless Chromium: order-proxy --mock serving the built
//! widget, through the real network path (widget → proxy → mock vendor).
//! Scenario ids are the mock vendors' documented ones (README, "Mock scenarios").
