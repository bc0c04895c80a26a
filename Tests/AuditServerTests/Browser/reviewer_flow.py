#!/usr/bin/env python3
"""A QA reviewer in headless Chromium (Debian's chromium + chromedriver, driven by Selenium).

Usage: reviewer_flow.py BASE_URL SCREENSHOT_DIR USER PASSWORD CHANGE MEANING [--no-javascript]

Logs in, opens "my queue", opens the change, signs it through the two-step form (the
confirmation page must state the meaning before the password is asked), and opens the
audit trail. Screenshots of each page go to SCREENSHOT_DIR. With --no-javascript the
browser runs with JavaScript disabled: every step is a plain form post. Exit 0 on success;
the calling Swift test then checks the ledger entry.
"""
import os
import sys

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait


def browser(no_js):
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1000",
                "--no-first-run", "--disable-extensions", "--disable-background-networking", "--disable-renderer-backgrounding"):
        options.add_argument(arg)
    if no_js:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    service = Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(service=service, options=options)
    # Generous: CI machines are shared and a loaded renderer answers slowly.
    driver.set_page_load_timeout(180)
    driver.set_script_timeout(180)
    return driver


def navigate(d, element, timeout=120):
    """Clicks a link or submit button and waits until the next page has replaced this one.

    click() can return before the navigation ends (a login runs Argon2id; a loaded CI machine
    answers slowly), and reading the page then reads the old one."""
    old = d.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(d, timeout).until(lambda drv: replaced(old))
    WebDriverWait(d, timeout).until(lambda drv: drv.find_elements(By.TAG_NAME, "main"))


def replaced(old):
    """Whether the old page's root element is gone. Selenium's staleness_of expects a
    StaleElementReferenceException; mid-navigation Chromium may instead answer "Node with
    given id does not belong to the document" (seen in CI), which means the same."""
    try:
        old.is_enabled()
        return False
    except StaleElementReferenceException:
        return True
    except WebDriverException as e:
        if "does not belong to the document" in str(e):
            return True
        raise


def expect(condition, message):
    if not condition:
        raise SystemExit("FAILED: " + message)


def main():
    base, shots, user, password, change, meaning = sys.argv[1:7]
    no_js = "--no-javascript" in sys.argv
    prefix = "nojs-" if no_js else ""
    os.makedirs(shots, exist_ok=True)
    d = browser(no_js)
    try:
        d.get(base + "/login")
        expect("Log in" in d.title, "login page title: " + d.title)
        d.find_element(By.ID, "userId").send_keys(user)
        d.find_element(By.ID, "password").send_keys(password)
        d.save_screenshot(os.path.join(shots, prefix + "login.png"))
        navigate(d, d.find_element(By.CSS_SELECTOR, "form[action='/login'] button[type=submit]"))
        expect(d.current_url.endswith("/queue"), "after login: " + d.current_url)
        expect("My queue" in d.find_element(By.TAG_NAME, "h1").text, "queue heading")
        d.save_screenshot(os.path.join(shots, prefix + "queue.png"))
        navigate(d, d.find_element(By.LINK_TEXT, change))
        expect(d.current_url.endswith("/changes/" + change), "change page: " + d.current_url)
        body = d.find_element(By.TAG_NAME, "main").text
        for words in ("Reason", "Bundle digest", "Approval policy requirements", "Signatures", "Audit trail of this change"):
            expect(words in body, "change page shows " + words)
        d.save_screenshot(os.path.join(shots, prefix + "change.png"))
        navigate(d, d.find_element(By.LINK_TEXT, "Sign or reject this change"))
        d.find_element(By.ID, "m-" + meaning).click()
        d.find_element(By.ID, "comment").send_keys("Checked the validation report in the browser")
        d.save_screenshot(os.path.join(shots, prefix + "sign.png"))
        navigate(d, d.find_element(By.CSS_SELECTOR, "form button[type=submit]:not(header button)"))
        confirm = d.find_element(By.TAG_NAME, "main").text
        expect("Confirm your signature" in confirm, "confirmation page")
        expect("with the meaning " + meaning in confirm, "the confirmation states the meaning")
        d.save_screenshot(os.path.join(shots, prefix + "confirm.png"))
        d.find_element(By.ID, "password").send_keys(password)
        d.find_element(By.XPATH, "//main//button[starts-with(normalize-space(.), 'Sign as')]").click()
        # A signature runs Argon2id and unseals a key: on a loaded machine the result page can
        # arrive after the click returns, so wait for it rather than read the old page.
        WebDriverWait(d, 120).until(lambda drv: drv.find_elements(By.XPATH, "//main[contains(., 'was recorded at seq')]"))
        done = d.find_element(By.TAG_NAME, "main").text
        expect("was recorded at seq" in done, "signed page: " + done)
        d.save_screenshot(os.path.join(shots, prefix + "signed.png"))
        navigate(d, d.find_element(By.LINK_TEXT, "Audit trail"))
        expect("Audit trail" in d.find_element(By.TAG_NAME, "h1").text, "audit trail heading")
        last = d.find_element(By.LINK_TEXT, "Latest entries") if d.find_elements(By.LINK_TEXT, "Latest entries") else None
        if last:
            navigate(d, last)
        expect("signature.added" in d.find_element(By.TAG_NAME, "main").text, "the signature shows in the audit trail")
        d.save_screenshot(os.path.join(shots, prefix + "audit-trail.png"))
        rows = d.find_elements(By.CSS_SELECTOR, "tbody tr td a")
        navigate(d, rows[-1])
        expect("Verified against checkpoint" in d.find_element(By.TAG_NAME, "main").text, "entry page verified line")
        d.save_screenshot(os.path.join(shots, prefix + "entry.png"))
        print("ok: signed %s as %s in %s" % (change, meaning, "no-JavaScript mode" if no_js else "headless Chromium"))
    finally:
        d.quit()


if __name__ == "__main__":
    main()
