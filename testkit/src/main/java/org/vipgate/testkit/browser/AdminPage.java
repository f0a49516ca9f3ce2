package org.vipgate.testkit.browser;

import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The steps of vipgate's admin pages that browser tests share: the first-run form and the login form. */
public final class AdminPage {

    /** Where a successful login lands. */
    public static final String HOME = "/admin/pending_auth_reqs.html";
    /** The login page. */
    public static final String LOGIN = "/admin/login.html";

    private AdminPage() {
    }

    /** First run: opens {@code /admin/}, fills the form that creates the administrator, waits for the login page. */
    public static void createAdministrator(WebDriver browser, WebDriverWait wait, String base, String user,
                                           String password) {
        browser.get(base + "/admin/");
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password1")).sendKeys(password);
        browser.findElement(By.id("password2")).sendKeys(password);
        browser.findElement(By.id("create")).click();
        wait.until(ExpectedConditions.urlToBe(base + LOGIN));
    }

    /** Fills the login form and submits it (the caller checks what follows). */
    public static void submitLogin(WebDriver browser, String user, String password) {
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.id("submit")).click();
    }

    /** Logs in and waits for the requests page. */
    public static void logIn(WebDriver browser, WebDriverWait wait, String base, String user, String password) {
        submitLogin(browser, user, password);
        wait.until(ExpectedConditions.urlToBe(base + HOME));
    }
}
