"""SMS and e-mail to people and partners: one interface (`notify`), backends chosen by settings,
message templates, the delivery log, webhooks for delivery reports and STOP replies."""
