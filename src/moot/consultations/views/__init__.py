"""The consultations app's pages: public pages, the response form, and staff pages."""
