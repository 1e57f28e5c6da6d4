"""How every API endpoint behaves: settings.REST_FRAMEWORK points into this package."""
