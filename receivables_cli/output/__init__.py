"""What people read: letters (Markdown, HTML, e-mail, PDF), payment codes, report, brief, calendar, terminal."""
