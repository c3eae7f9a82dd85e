from portal.dashboard import register_nav

register_nav(key="inbox", zh="站内信", en="Inbox", url_name="notifications:inbox",
             allowed=lambda user: user.is_authenticated, order=5)
