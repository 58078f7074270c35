"""The pages of the portal, one module per area: the public booking page (book), manage links
(manage), client accounts (my, claim), the trainer's booking-page settings (settings, brand) and
answers from public bookings (answers)."""
