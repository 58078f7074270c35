"""The scheduling API, one module per area: availability (services, hours, overrides, time off),
slots, bookings; common holds what they share."""
