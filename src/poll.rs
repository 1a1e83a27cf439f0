//! The polling scheduler: decides *when* to check the order again. Pure, clock passed in.
