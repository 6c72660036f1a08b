//! Test harness for `dateline serve`: the real binary on a free loopback port, and a plain
//! HTTP/1.1 client that sends exactly the bytes it is given (malformed ones too).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::util::Fixture;

/// "Today" for the server and for the command-line runs it is compared with.
pub const TODAY: &str = "2025-06-30";

/// A running `dateline serve`, stopped when dropped.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    /// What it printed on start.
    pub banner: String,
}

impl Server {
    /// Starts `dateline --index <fixture index> serve --addr 127.0.0.1:0` and waits for the
    /// line with its URL.
    pub fn start(fx: &Fixture) -> Server {
        Server::start_at(fx, "127.0.0.1:0")
    }

    pub fn start_at(fx: &Fixture, addr: &str) -> Server {
        Server::start_with(fx, addr, &[], &[])
    }

    /// As [`Server::start_at`], with `extra` arguments to `serve` and `env` variables set.
    pub fn start_with(
        fx: &Fixture,
        addr: &str,
        extra: &[&str],
        env: &[(&str, &std::ffi::OsStr)],
    ) -> Server {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("dateline"))
            .arg("--index")
            .arg(fx.index())
            .args(["serve", "--addr", addr])
            .args(extra)
            .envs(env.iter().copied())
            .current_dir(fx.dir.path())
            .env_remove("DATELINE_INDEX")
            .env("DATELINE_TODAY", TODAY)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start dateline serve");
        let mut banner = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut banner)
            .expect("read the banner");
        let addr = banner
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|addr| addr.parse().ok())
            .unwrap_or_else(|| {
                let mut err = String::new();
                let _ = child.stderr.take().map(|mut e| e.read_to_string(&mut err));
                panic!("no URL in the banner {banner:?}; stderr: {err}")
            });
        Server {
            child,
            addr,
            banner,
        }
    }

    /// `GET target` on a new connection.
    pub fn get(&self, target: &str) -> Response {
        self.send(&format!(
            "GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        ))
    }

    /// Sends `raw` as it is and reads the answer until the server closes the connection.
    pub fn send(&self, raw: &str) -> Response {
        send_to(self.addr, raw.as_bytes())
    }

    /// The process id, for signals.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits up to `limit` for the process to end by itself; its exit status and stderr.
    pub fn wait_exit(mut self, limit: Duration) -> Option<(std::process::ExitStatus, String)> {
        let start = std::time::Instant::now();
        while start.elapsed() < limit {
            if let Ok(Some(status)) = self.child.try_wait() {
                let mut err = String::new();
                let _ = self
                    .child
                    .stderr
                    .take()
                    .map(|mut e| e.read_to_string(&mut err));
                return Some((status, err));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|err| panic!("not the expected JSON ({err}): {}", self.text()))
    }

    /// Asserts the status and the error shape `{"error": {"code", "message"}}`; the code.
    pub fn error(&self, status: u16) -> String {
        assert_eq!(self.status, status, "{}", self.text());
        assert_eq!(self.header("content-type"), Some("application/json"));
        let value: serde_json::Value = self.json();
        let error = value["error"].as_object().expect("an error object");
        assert_eq!(error.len(), 2, "{value}");
        assert!(!error["message"].as_str().expect("message").is_empty());
        error["code"].as_str().expect("code").to_string()
    }
}

pub fn send_to(addr: SocketAddr, raw: &[u8]) -> Response {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    // A server may answer and close before reading everything (a refused oversized request):
    // a failed write is then no failure of the test, the answer is what counts.
    let _ = stream.write_all(raw);
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    parse(&bytes)
}

/// Status, headers and body of one HTTP/1.1 answer (content-length or to the end).
fn parse(bytes: &[u8]) -> Response {
    let split = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no HTTP answer: {:?}", String::from_utf8_lossy(bytes)));
    let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {head:?}"));
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = bytes[split + 4..].to_vec();
    if let Some(length) = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok())
    {
        body.truncate(length);
    }
    Response {
        status,
        headers,
        body,
    }
}
