"""The analysis pages: staff pages under /staff/consultations/<slug>/analysis/, and the
downloads of a published summary of responses."""
