from django.core.mail import send_mail

from tests.conftest import ReceivedMail


def test_mail_goes_through_a_real_smtp_server(smtp_server: ReceivedMail) -> None:
    send_mail("Subject £", "Body text", "moot <noreply@example.org>", ["person@example.org"])
    assert len(smtp_server.messages) == 1
    message = smtp_server.to("person@example.org")[0]
    assert message["Subject"] == "Subject £"
    assert message.get_content().strip() == "Body text"
